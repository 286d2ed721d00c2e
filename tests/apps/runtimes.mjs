// What each stack needs on this machine: whether its runtime is here, how to install the
// generated project's dependencies, and how to run the project's own tests. One file a stack.
import go from "./runtimes/go.mjs";
import java from "./runtimes/java.mjs";
import node from "./runtimes/node.mjs";
import python from "./runtimes/python.mjs";
import ruby from "./runtimes/ruby.mjs";
import rust from "./runtimes/rust.mjs";

export const runtimes = { node, python, go, rust, java, ruby };
