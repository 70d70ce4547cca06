export * from './WebSocketError';
export * from './WebSocketRetryOptions';
export * from './classifyWebSocketError';
export * from './ConnectionRegistry';
export * from './executeWebSocketTokenRefresh';
export * from './executeWebSocketWithRetry';
