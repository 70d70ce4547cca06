/**
 * Errors exactly as Prisma 7.10.0 (prisma-client generator, @prisma/adapter-pg 7.10.0, pg 8)
 * throws them against a real Postgres 17, captured by a script that killed backends with
 * pg_terminate_backend / SIGKILL mid-query, stopped the server (pg_ctl -m immediate), raised
 * 40001 from a trigger and inserted a duplicate. Own properties, nesting and constructor names
 * are as captured (`__proto`); messages keep Prisma's text without the calling file's excerpt,
 * ports are normalised. Prisma is not imported here (utils must not depend on it):
 * `reviveError` rebuilds each error with a same-named class. Test-only; not exported by the lib.
 */
export const PRISMA7_ERRORS = {
  "killedBackendCount": {
    "__proto": "PrismaClientKnownRequestError",
    "message": "\nInvalid `prisma.user.count()` invocation:\n\n\nDatabase error. Code: `57P01`. Message: `terminating connection due to administrator command`",
    "code": "P2039",
    "meta": {
      "__proto": "Object",
      "modelName": "User",
      "driverAdapterError": {
        "__proto": "DriverAdapterError",
        "message": "terminating connection due to administrator command",
        "name": "DriverAdapterError",
        "cause": {
          "__proto": "Object",
          "originalCode": "57P01",
          "originalMessage": "terminating connection due to administrator command",
          "kind": "postgres",
          "code": "57P01",
          "severity": "FATAL",
          "message": "terminating connection due to administrator command"
        }
      }
    },
    "clientVersion": "7.10.0",
    "name": "PrismaClientKnownRequestError"
  },
  "killedBackendCreate": {
    "__proto": "PrismaClientKnownRequestError",
    "message": "\nInvalid `prisma.user.create()` invocation:\n\n\nDatabase error. Code: `57P01`. Message: `terminating connection due to administrator command`",
    "code": "P2039",
    "meta": {
      "__proto": "Object",
      "modelName": "User",
      "driverAdapterError": {
        "__proto": "DriverAdapterError",
        "message": "terminating connection due to administrator command",
        "name": "DriverAdapterError",
        "cause": {
          "__proto": "Object",
          "originalCode": "57P01",
          "originalMessage": "terminating connection due to administrator command",
          "kind": "postgres",
          "code": "57P01",
          "severity": "FATAL",
          "message": "terminating connection due to administrator command"
        }
      }
    },
    "clientVersion": "7.10.0",
    "name": "PrismaClientKnownRequestError"
  },
  "killedBackendRaw": {
    "__proto": "PrismaClientKnownRequestError",
    "message": "\nInvalid `prisma.$queryRawUnsafe()` invocation:\n\n\nRaw query failed. Code: `57P01`. Message: `terminating connection due to administrator command`",
    "code": "P2010",
    "meta": {
      "__proto": "Object",
      "driverAdapterError": {
        "__proto": "DriverAdapterError",
        "message": "terminating connection due to administrator command",
        "name": "DriverAdapterError",
        "cause": {
          "__proto": "Object",
          "originalCode": "57P01",
          "originalMessage": "terminating connection due to administrator command",
          "kind": "postgres",
          "code": "57P01",
          "severity": "FATAL",
          "message": "terminating connection due to administrator command"
        }
      }
    },
    "clientVersion": "7.10.0",
    "name": "PrismaClientKnownRequestError"
  },
  "serializationFailureCreate": {
    "__proto": "PrismaClientKnownRequestError",
    "message": "\nInvalid `prisma.user.create()` invocation:\n\n\nTransaction failed due to a write conflict or a deadlock. Please retry your transaction",
    "code": "P2034",
    "meta": {
      "__proto": "Object",
      "modelName": "User",
      "driverAdapterError": {
        "__proto": "DriverAdapterError",
        "message": "TransactionWriteConflict",
        "name": "DriverAdapterError",
        "cause": {
          "__proto": "Object",
          "originalCode": "40001",
          "originalMessage": "could not serialize access",
          "kind": "TransactionWriteConflict"
        }
      }
    },
    "clientVersion": "7.10.0",
    "name": "PrismaClientKnownRequestError"
  },
  "uniqueViolationCreate": {
    "__proto": "PrismaClientKnownRequestError",
    "message": "\nInvalid `prisma.user.create()` invocation:\n\n\nUnique constraint failed on the constraint: `User_email_key`",
    "code": "P2002",
    "meta": {
      "__proto": "Object",
      "driverAdapterError": {
        "__proto": "DriverAdapterError",
        "message": "UniqueConstraintViolation",
        "name": "DriverAdapterError",
        "cause": {
          "__proto": "Object",
          "originalCode": "23505",
          "originalMessage": "duplicate key value violates unique constraint \"User_email_key\"",
          "kind": "UniqueConstraintViolation",
          "constraint": {
            "__proto": "Object",
            "index": "User_email_key"
          },
          "table": "User"
        }
      },
      "modelName": "User"
    },
    "clientVersion": "7.10.0",
    "name": "PrismaClientKnownRequestError"
  },
  "unreachableCount": {
    "__proto": "PrismaClientKnownRequestError",
    "message": "\nInvalid `prisma.user.count()` invocation:\n\n\nCan't reach database server at 127.0.0.1:5432",
    "code": "P1001",
    "meta": {
      "__proto": "Object",
      "modelName": "User",
      "driverAdapterError": {
        "__proto": "DriverAdapterError",
        "message": "DatabaseNotReachable",
        "name": "DriverAdapterError",
        "cause": {
          "__proto": "Object",
          "kind": "DatabaseNotReachable",
          "host": "127.0.0.1",
          "port": 5432
        }
      }
    },
    "clientVersion": "7.10.0",
    "name": "PrismaClientKnownRequestError"
  },
  "unreachableRaw": {
    "__proto": "PrismaClientKnownRequestError",
    "message": "\nInvalid `prisma.$queryRawUnsafe()` invocation:\n\n\nRaw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5432`",
    "code": "P2010",
    "meta": {
      "__proto": "Object",
      "driverAdapterError": {
        "__proto": "DriverAdapterError",
        "message": "DatabaseNotReachable",
        "name": "DriverAdapterError",
        "cause": {
          "__proto": "Object",
          "kind": "DatabaseNotReachable",
          "host": "127.0.0.1",
          "port": 5432
        }
      }
    },
    "clientVersion": "7.10.0",
    "name": "PrismaClientKnownRequestError"
  },
  "backendSigkilledCount": {
    "__proto": "Error",
    "message": "Connection terminated unexpectedly",
    "clientVersion": "7.10.0"
  },
  "serverStoppedLockerQuery": {
    "__proto": "Error",
    "message": "Client has encountered a connection error and is not queryable"
  }
} as const satisfies Record<string, CapturedShape>;

export type Prisma7ErrorName = keyof typeof PRISMA7_ERRORS;

interface CapturedShape {
  readonly __proto: string;
  readonly [field: string]: unknown;
}

const classes = new Map<string, new (message?: string) => Error>();

/** A class named like the captured one (PrismaClientKnownRequestError, DriverAdapterError …). */
function errorClass(name: string): new (message?: string) => Error {
  if (name === 'Error') return Error;
  let cls = classes.get(name);
  if (cls === undefined) {
    cls = { [name]: class extends Error {} }[name];
    classes.set(name, cls);
  }
  return cls;
}

/** Rebuilds a captured error: Error subclasses for `__proto` other than Object, plain objects otherwise. */
export function reviveError(shape: unknown): unknown {
  if (shape === null || typeof shape !== 'object' || Array.isArray(shape)) return shape;
  const { __proto, ...fields } = shape as CapturedShape;
  const target: Record<string, unknown> = __proto === 'Object' ? {} : (new (errorClass(__proto))(String(fields.message ?? '')) as unknown as Record<string, unknown>);
  for (const [key, value] of Object.entries(fields)) target[key] = reviveError(value);
  return target;
}

/** The captured error `name`, rebuilt. */
export function prisma7Error(name: Prisma7ErrorName): Error {
  return reviveError(PRISMA7_ERRORS[name]) as Error;
}
