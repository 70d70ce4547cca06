export * from './isRedisTransientError';
export * from './isTransientError';
