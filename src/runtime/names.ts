/** Patterns of the names the runtime checks, kept in one place so its checks cannot drift apart. */

/** An event bus name (EventBridge's pattern), also a valid bus name prefix. */
export const EVENT_BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
/** EventBridge's pattern for connection and API destination names. */
export const RESOURCE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

// Shared with the constructs, so defined in the contract.
export { DEFAULT_API_KEY_HEADER, ROLE_SESSION_NAME } from '../contract';
