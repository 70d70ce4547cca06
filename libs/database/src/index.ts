export * from './client';
export * from './migrations';
export * from './models';
export * from './postgress/repositories';
export * from './types';
export * from './replicas';
