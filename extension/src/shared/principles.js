// The four principles the server scores, with the names agents see.
export const PRINCIPLES = Object.freeze([
  ["knowledge", "Knowledge"],
  ["intent", "Intent"],
  ["empathy", "Empathy"],
  ["standing", "Standing"],
]);
