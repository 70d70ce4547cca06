// The seed's import path (`@libs/utils/src/executeWithRetry`): the whole retry family.
export * from './backoff';
export * from './breaker';
export * from './budget';
export * from './classify';
export * from './errors';
export * from './logger';
export * from './registry';
export * from './retry';
export * from './websocket';
