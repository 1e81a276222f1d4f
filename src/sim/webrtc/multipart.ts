/** A minimal multipart/form-data reader for the unified `/realtime/calls` form (`sdp` and `session` text fields). */

/** The text fields of a multipart body, or undefined when the content type has no boundary. */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string> | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const fields: Record<string, string> = {};
  for (const part of body.toString('utf8').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]+)"/i.exec(part.slice(0, split))?.[1];
    if (name) fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}
