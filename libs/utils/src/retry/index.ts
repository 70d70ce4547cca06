export * from './RetryOptions';
export * from './executeRedisWithRetry';
export * from './executeWithRetry';
