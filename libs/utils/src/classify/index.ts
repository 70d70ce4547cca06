export * from './hasSpentRetrySchedule';
export * from './isRedisTransientError';
export * from './isSafeToRetryWrite';
export * from './isTransientError';
