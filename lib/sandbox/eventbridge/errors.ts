/**
 * Typed EventBridge errors. Each knows its AWS JSON 1.1 error code; only the router turns one
 * into an HTTP response (see {@link serializeError}). Anything else thrown is a bug and is rethrown.
 */
export class EventBridgeError extends Error {
  constructor(
    /** AWS error code, sent as `__type` and `x-amzn-errortype`. */
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export class ValidationError extends EventBridgeError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}

export class ResourceNotFoundError extends EventBridgeError {
  constructor(message: string) {
    super('ResourceNotFoundException', message);
  }
}

export class ResourceAlreadyExistsError extends EventBridgeError {
  constructor(message: string) {
    super('ResourceAlreadyExistsException', message);
  }
}

export class InvalidEventPatternError extends EventBridgeError {
  constructor(reason: string) {
    super('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
  }
}

export class LimitExceededError extends EventBridgeError {
  constructor(message: string) {
    super('LimitExceededException', message);
  }
}

export class UnknownOperationError extends EventBridgeError {
  constructor(target: string) {
    super(
      'UnknownOperationException',
      `Unsupported operation ${JSON.stringify(target)}; the sandbox implements AWSEvents.<Action> for the actions listed in lib/sandbox/eventbridge/router.ts`,
    );
  }
}

/** The wire shape of an error in AWS JSON 1.1: status, headers and body. */
export function serializeError(err: EventBridgeError): { statusCode: number; headers: Record<string, string>; body: string } {
  return {
    statusCode: err.statusCode,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': err.code },
    body: JSON.stringify({ __type: err.code, message: err.message }),
  };
}
