// java: not described yet.
export default {
  missing: () => "the java runtime description is not written yet",
};
