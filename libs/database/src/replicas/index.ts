export * from './ReadConsistency';
export * from './ReplicaRouter';
export * from './replicaLag';
export * from './createReplicaRouter';
