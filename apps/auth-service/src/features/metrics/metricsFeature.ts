import fp from 'fastify-plugin';
import { registerMetricsRoute, type MetricsRouteOptions } from './metricsRoute';

/**
 * `GET /metrics` for Prometheus, and the latency of every response of the app. Not encapsulated
 * (fastify-plugin): its `onResponse` hook must see the routes of every other feature.
 */
export const metricsFeature = fp<MetricsRouteOptions>(async (app, options) => registerMetricsRoute(app, options), { name: 'metrics', fastify: '5.x' });
