/**
 * AMQP topic-exchange routing: a binding pattern and a routing key are dot-separated words;
 * `*` matches exactly one word, `#` matches zero or more words.
 */

/** Whether `routingKey` matches AMQP topic binding `pattern`. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchWords(p: string[], pi: number, k: string[], ki: number): boolean {
  while (pi < p.length) {
    const word = p[pi];
    if (word === '#') {
      // Collapse runs of '#'; then try every split of the remaining key.
      while (pi + 1 < p.length && p[pi + 1] === '#') pi += 1;
      if (pi === p.length - 1) return true;
      for (let skip = ki; skip <= k.length; skip += 1) {
        if (matchWords(p, pi + 1, k, skip)) return true;
      }
      return false;
    }
    if (ki >= k.length) return false;
    if (word !== '*' && word !== k[ki]) return false;
    pi += 1;
    ki += 1;
  }
  return ki === k.length;
}
