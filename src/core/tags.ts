// A check's tags are one space-separated string (Healthchecks' Check.tags_list).

/** The tags of a check, in their written order, without empty entries. */
export function splitTags(tags: string): string[] {
  return tags
    .split(' ')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}
