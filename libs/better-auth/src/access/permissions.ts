/**
 * The one matching rule of permission strings: `users:read` is granted by `users:read`,
 * `users:*`, `*:*` or `*` (a key scope meaning "everything its owner may do"). Used for role
 * grants (authorize, authority) and key scopes (apiKeys) alike.
 */
export function permissionGrants(granted: readonly string[], wanted: string): boolean {
  if (granted.includes(wanted) || granted.includes('*:*') || granted.includes('*')) return true;
  const colon = wanted.indexOf(':');
  return colon > 0 && granted.includes(`${wanted.slice(0, colon)}:*`);
}
