type LogFn = (obj: object, msg?: string) => void;

/** The pino shape the plugins log through (the app passes its Fastify logger). */
export interface PluginLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}
