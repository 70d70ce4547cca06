export * from '../../errors';
export * from './base';
export * from './isDatabaseError';
export * from './operation';
export * from './prismaTypes';
export * from './retryClassification';
export * from './types';
