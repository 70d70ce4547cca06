export * from './MetricsConfigError';
