// go: not described yet.
export default {
  missing: () => "the go runtime description is not written yet",
};
