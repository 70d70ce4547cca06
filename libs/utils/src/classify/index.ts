export * from './isRedisTransientError';
export * from './isSafeToRetryWrite';
export * from './isTransientError';
