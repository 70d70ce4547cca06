export * from './IMetricsCollector';
