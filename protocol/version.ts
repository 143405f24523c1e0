// The protocol version a client names in its hello. A server answers the versions it supports;
// any other closes the socket with VERSION_UNSUPPORTED.
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_VERSIONS: readonly number[] = [1];
