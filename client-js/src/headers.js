/** Works with fetch `Headers`, axios `AxiosHeaders` and plain objects (names in any case). */
export function headerValue(headers, name) {
  if (!headers) return null;
  if (typeof headers.get === 'function') return headers.get(name);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : String(headers[key]);
}
