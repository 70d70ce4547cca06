export * from './PrometheusSource';
export * from './exportMetricNames';
export * from './registerPrometheusExport';
