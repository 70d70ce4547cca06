export * from './AttemptTimeoutError';
export * from './CircuitOpenError';
export * from './ConcurrencyLimitError';
export * from './RetryAbortedError';
export * from './RetryExhaustedError';
