export * from './WebSocketError';
export * from './WebSocketRetryOptions';
export * from './classifyWebSocketError';
export * from './connectionRegistry';
export * from './executeWebSocketTokenRefresh';
export * from './executeWebSocketWithRetry';
