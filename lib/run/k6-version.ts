/**
 * The one place that pins k6. v2.2.0 is the newest v2 whose module zip the Go module proxy
 * serves here (v2.3.0 is listed but its zip answers 403 "not available").
 */
export const K6_VERSION = 'v2.2.0';
export const K6_MODULE = 'go.k6.io/k6/v2';
