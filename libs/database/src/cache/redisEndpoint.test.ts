import { createRedisClient, DEFAULT_RECONNECT_MAX_DELAY_MS, describeRedisEndpoint, isRedisEndpoint, parseRedisHostPorts, reconnectDelayMs, reconnectOnReadOnly, redisClientOptions, redisTargetOf } from './redisEndpoint';

describe('redisEndpoint', () => {
  it('describes an endpoint for logs without its passwords', () => {
    expect(describeRedisEndpoint('redis://user:secret@r:6379/0')).toBe('redis://user:***@r:6379/0');
    expect(describeRedisEndpoint({ url: 'redis://r:6379', password: 'secret' })).toBe('redis://r:6379');
    const sentinel = describeRedisEndpoint({ sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }], masterName: 'auth', password: 'secret', sentinelPassword: 'also-secret' });
    expect(sentinel).toBe('sentinel://auth@s1:26379,s2:26380');
    expect(describeRedisEndpoint('not a url')).toBe('<invalid url>');
  });

  it('builds Sentinel options with the failover settings and keeps the connection tuning', () => {
    const options = redisClientOptions({ sentinels: [{ host: 's1', port: 26379 }], password: 'p', sentinelPassword: 'sp' }, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    expect(options).toMatchObject({ sentinels: [{ host: 's1', port: 26379 }], name: 'mymaster', role: 'master', password: 'p', sentinelPassword: 'sp', enableOfflineQueue: false, maxRetriesPerRequest: 0, socketTimeout: 2_000 });
    expect(options.reconnectOnError).toBe(reconnectOnReadOnly);
    expect(redisClientOptions({ url: 'redis://r' }, { socketTimeout: 5_000 }).socketTimeout).toBe(5_000);
  });

  it('reconnects on a schedule capped at DEFAULT_RECONNECT_MAX_DELAY_MS, on every connection unless tuned otherwise', () => {
    const delays = Array.from({ length: 1_000 }, (_, i) => reconnectDelayMs(i + 1));
    expect(delays.slice(0, 4)).toEqual([100, 200, 400, 500]);
    expect(Math.max(...delays)).toBe(DEFAULT_RECONNECT_MAX_DELAY_MS);
    expect(DEFAULT_RECONNECT_MAX_DELAY_MS).toBeLessThanOrEqual(1_000);
    expect(redisClientOptions('redis://r').retryStrategy).toBe(reconnectDelayMs);
    expect(redisClientOptions({ url: 'redis://r' }, { enableOfflineQueue: false }).retryStrategy).toBe(reconnectDelayMs);
    const own = () => 7;
    expect(redisClientOptions('redis://r', { retryStrategy: own }).retryStrategy).toBe(own);
  });

  it('reconnects and resends on READONLY only', () => {
    expect(reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnReadOnly(new Error('ERR wrong number of arguments'))).toBe(false);
  });

  it('a password in the URL wins over the separate one', () => {
    const client = createRedisClient({ url: 'redis://:in-url@127.0.0.1:1', password: 'separate' }, { lazyConnect: true });
    expect(client.options.password).toBe('in-url');
    expect(redisTargetOf(client)).toBe('127.0.0.1:1');
    client.disconnect();
    const sentinel = createRedisClient({ sentinels: [{ host: '127.0.0.1', port: 1 }], masterName: 'auth' }, { lazyConnect: true });
    expect(redisTargetOf(sentinel)).toBe('sentinel:auth');
    expect(isRedisEndpoint(sentinel)).toBe(false);
    sentinel.disconnect();
  });

  it('parses host:port lists and names a bad entry', () => {
    expect(parseRedisHostPorts('a:1, b.example:26379 ,[::1]:2')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b.example', port: 26379 },
      { host: '::1', port: 2 },
    ]);
    expect(() => parseRedisHostPorts('a:1,b')).toThrow('"b" is not host:port');
    expect(() => parseRedisHostPorts('a:0')).toThrow('not host:port');
    expect(isRedisEndpoint('redis://r')).toBe(true);
    expect(isRedisEndpoint({ sentinels: [] })).toBe(true);
    expect(isRedisEndpoint({})).toBe(false);
  });
});
