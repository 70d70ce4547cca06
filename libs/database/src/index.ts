export * from './client';
export * from './models';
export * from './migrations';
export * from './types';
