export * from './BreakerOptions';
export * from './BreakerRegistry';
export * from './ManagedBreaker';
export * from './RecoveryProbe';
export * from './ResetBackoff';
