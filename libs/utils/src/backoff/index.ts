export * from './computeDelay';
