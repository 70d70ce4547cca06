/** An error shaped like one from a given layer (Prisma, pg, Node, ioredis). */
export function errorWith(fields: Record<string, unknown>, message = 'test error'): Error {
  return Object.assign(new Error(message), fields);
}
