export * from './ApiKey';
export * from './auth';
export * from './event';
export * from './role';
export * from './session';
export * from './store';
export * from './types';
export * from './user';
