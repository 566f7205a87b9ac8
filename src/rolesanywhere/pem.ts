/** One `-----BEGIN <label>----- ... -----END <label>-----` block of a PEM text. */
export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether the text holds at least one PEM block (as opposed to DER or base64). */
export function looksLikePem(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]+-----/.test(text);
}

/**
 * The PEM blocks of a text, in order. Text between blocks is ignored, as OpenSSL does (tools
 * often print `subject=...` lines above each certificate); a block whose labels disagree or whose
 * body is not base64 is an error that names the block.
 */
export function parsePemBlocks(what: string, text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [, begin, body, end] = match;
    const position = blocks.length + 1;
    if (begin !== end) {
      throw new Error(`invalid ${what}: block ${position} begins with '${begin}' but ends with '${end}'`);
    }
    const base64 = body.replace(/\s+/g, '');
    if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) {
      throw new Error(`invalid ${what}: the body of block ${position} ('${begin}') is not base64`);
    }
    blocks.push({ label: begin, der: Buffer.from(base64, 'base64') });
  }
  return blocks;
}

/** PEM text of one DER value, base64 in lines of 64 characters as RFC 7468 asks. */
export function formatPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ''].join('\n');
}
