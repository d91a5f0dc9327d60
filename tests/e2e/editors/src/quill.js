import "quill/dist/quill.snow.css";
import Quill from "quill";

const quill = new Quill("#editor", { theme: "snow" });
window.quill = quill;
window.editorApi = {
  name: "quill",
  getText: () => quill.getText().replace(/\n$/, ""),
  focus: () => quill.focus(),
  element: quill.root,
};
