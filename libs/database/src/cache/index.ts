export * from './ICache';
