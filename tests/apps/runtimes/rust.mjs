// rust: not described yet.
export default {
  missing: () => "the rust runtime description is not written yet",
};
