// The part of @paypal/checkout-server-sdk (which ships no types) the server and the tests use. Every request is a plain object
// { path, verb, body, headers } that PayPalHttpClient.execute sends to environment.baseUrl + path, so the APIs the
// SDK has no class for (subscriptions, webhook verification) go through the same client as plain objects.
declare module '@paypal/checkout-server-sdk' {
  export interface HttpRequest {
    path: string;
    verb: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    body?: unknown;
    headers: Record<string, string>;
  }

  /** A response body read loosely: the SDK does not type what the API answers, and the tests read deep into it. */
  // biome-ignore lint/suspicious/noExplicitAny: the untyped SDK's result; tests narrow it with expectations.
  export type Json = Record<string, any>;

  export interface HttpResponse<T = Json> {
    statusCode: number;
    headers: Record<string, string>;
    /** Absent when the response has no body (204). */
    result: T;
  }

  /** What execute() rejects with on a non-2xx answer: `message` is the response body text. */
  export interface HttpError extends Error {
    statusCode: number;
    headers: Record<string, string>;
  }

  class Request implements HttpRequest {
    path: string;
    verb: HttpRequest['verb'];
    body: unknown;
    headers: Record<string, string>;
    prefer(prefer: string): this;
    requestBody(body: unknown): this;
  }

  export namespace core {
    class PayPalEnvironment {
      constructor(clientId: string, clientSecret: string, baseUrl: string, webUrl: string);
      baseUrl: string;
    }
    class SandboxEnvironment extends PayPalEnvironment {
      constructor(clientId: string, clientSecret: string);
    }
    class PayPalHttpClient {
      constructor(environment: PayPalEnvironment);
      /** paypalhttp's Encoder: turns a request's body into the bytes sent, by its Content-Type. */
      encoder: { serializeRequest(request: HttpRequest): string | Buffer };
      execute<T = Json>(request: HttpRequest): Promise<HttpResponse<T>>;
    }
  }

  export namespace orders {
    class OrdersCreateRequest extends Request {}
    class OrdersGetRequest extends Request {
      constructor(orderId: string);
    }
    class OrdersCaptureRequest extends Request {
      constructor(orderId: string);
      payPalRequestId(id: string): this;
    }
  }

  export namespace payments {
    class CapturesGetRequest extends Request {
      constructor(captureId: string);
    }
    class CapturesRefundRequest extends Request {
      constructor(captureId: string);
      payPalRequestId(id: string): this;
    }
    class RefundsGetRequest extends Request {
      constructor(refundId: string);
    }
  }
}
