import "prosemirror-view/style/prosemirror.css";
import "prosemirror-example-setup/style/style.css";
import { exampleSetup } from "prosemirror-example-setup";
import { DOMParser } from "prosemirror-model";
import { schema } from "prosemirror-schema-basic";
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";

const place = document.getElementById("editor");
const view = new EditorView(place, {
  state: EditorState.create({
    doc: DOMParser.fromSchema(schema).parse(document.createElement("div")),
    plugins: exampleSetup({ schema, menuBar: false }),
  }),
});
window.view = view;
window.editorApi = {
  name: "prosemirror",
  getText: () => view.state.doc.textBetween(0, view.state.doc.content.size, "\n"),
  focus: () => view.focus(),
  element: view.dom,
};
