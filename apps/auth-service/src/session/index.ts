export * from './expiredCookie';
export * from './pluginHooks';
export * from './readCookies';
export * from './readSessionToken';
export * from './registerSessionRoute';
export * from './sessionBody';
export * from './sessionSettings';
export * from './signature';
