// Slugs derived from names, character for character as Django's slugify makes them, because
// Management API v1/v2 clients rely on `slug` following `name`.
export function slugify(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  const cleaned = ascii.toLowerCase().replace(/[^\w\s-]/g, '');
  return cleaned.replace(/[-\s]+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
}
