export * from './ICache';
export * from './cacheOptions';
export * from './cache.service';
export * from './CacheNamespace';
export * from './errors/CacheError';
export * from './logger';
export * from './serializer';
export * from './facades/redisExecutor';
