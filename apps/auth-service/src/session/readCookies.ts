/** Cookie names the get-session route cares about (Better-Auth's `authCookies`, prefix included). */
export interface SessionCookieNames {
  sessionToken: string;
  sessionData: string;
  dontRemember: string;
}

export interface SessionCookies {
  /** The session cookie's value, URI-decoded as Better-Auth decodes it; undefined when absent. */
  sessionToken?: string;
  /**
   * A cookie that changes Better-Auth's answer (cookie cache `session_data` or one of its chunks,
   * `dont_remember`): the fast path leaves such requests to Better-Auth.
   */
  other: boolean;
}

function tryDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Reads the `Cookie` header with the exact rules of better-call's `parseCookies` (first occurrence
 * of a name wins, values trimmed, one pair of quotes removed, URI-decoded) without building a map
 * of every cookie: only the names in `names` are looked at.
 */
export function readCookies(header: string | undefined, names: SessionCookieNames): SessionCookies {
  const result: SessionCookies = { other: false };
  if (!header) return result;
  let index = 0;
  while (index < header.length) {
    const eqIdx = header.indexOf('=', index);
    if (eqIdx === -1) break;
    let endIdx = header.indexOf(';', index);
    if (endIdx === -1) endIdx = header.length;
    else if (endIdx < eqIdx) {
      index = header.lastIndexOf(';', eqIdx - 1) + 1;
      continue;
    }
    const key = header.slice(index, eqIdx).trim();
    if (key === names.sessionToken) {
      if (result.sessionToken === undefined) {
        let value = header.slice(eqIdx + 1, endIdx).trim();
        if (value.codePointAt(0) === 34) value = value.slice(1, -1);
        result.sessionToken = tryDecode(value);
      }
    } else if (key === names.dontRemember || key.startsWith(names.sessionData)) {
      result.other = true;
    }
    index = endIdx + 1;
  }
  return result;
}

export { tryDecode };
