// Django's never_cache headers: responses that reflect live state must not be kept by browsers,
// proxies or badge-embedding services.
export const NEVER_CACHE: Readonly<Record<string, string>> = {
  'cache-control': 'max-age=0, no-cache, no-store, must-revalidate, private',
  expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
};
