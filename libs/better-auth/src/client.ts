// Client plugins for `createAuthClient({ plugins: [apiKeyClient(), rolesClient()] })`.
export * from './plugins/api-key/client';
export * from './plugins/roles/client';
