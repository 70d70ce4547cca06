export * from './PinningLru';
export * from './ResilienceRegistry';
export * from './defaultRegistry';
