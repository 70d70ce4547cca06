/** The cookie attributes Better-Auth keeps in `authCookies[*].attributes`. */
export interface CookieAttributes {
  maxAge?: number;
  domain?: string;
  path?: string;
  expires?: Date;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  partitioned?: boolean;
}

/**
 * The `Set-Cookie` line Better-Auth's `expireCookie` writes (better-call `serializeCookie` of an
 * empty value with `maxAge: 0`), same attribute order and the same forced `Secure` for
 * `__Secure-` / `__Host-` names, `SameSite=None` and `Partitioned`.
 */
export function expiredCookie(name: string, attributes: CookieAttributes): string {
  const options: CookieAttributes = { ...attributes, maxAge: 0 };
  const lower = name.toLowerCase();
  if (lower.startsWith('__host-')) {
    options.secure = true;
    options.path = '/';
    options.domain = undefined;
  } else if (lower.startsWith('__secure-')) options.secure = true;
  if (options.partitioned === true || options.sameSite?.toLowerCase() === 'none') options.secure = true;
  let cookie = `${name}=; Max-Age=0`;
  if (options.domain) cookie += `; Domain=${options.domain}`;
  if (options.path) cookie += `; Path=${options.path}`;
  if (options.httpOnly) cookie += '; HttpOnly';
  if (options.secure) cookie += '; Secure';
  if (options.sameSite) cookie += `; SameSite=${options.sameSite.charAt(0).toUpperCase()}${options.sameSite.slice(1)}`;
  if (options.partitioned) cookie += '; Partitioned';
  return cookie;
}
