export * from './executeWithRetry';
