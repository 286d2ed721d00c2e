// ruby: not described yet.
export default {
  missing: () => "the ruby runtime description is not written yet",
};
