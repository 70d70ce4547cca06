export * from './ManagedBreaker';
export * from './breakerRegistry';
