export * from './DatabaseClient';
export * from './Logger';
