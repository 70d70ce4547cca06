export * from './lookupSession';
export * from './pluginHooks';
export * from './rateLimitStep';
export * from './registerSessionRoute';
export * from './sessionBody';
export * from './sessionSettings';
