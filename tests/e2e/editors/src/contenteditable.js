// No model beyond the DOM: the text a reader sees is the editor's innerText.
const editor = document.getElementById("editor");
window.editorApi = {
  name: "contenteditable",
  getText: () => editor.innerText.replace(/\n$/, ""),
  focus: () => editor.focus(),
  element: editor,
};
// A second editor added after load, for the MutationObserver test.
window.addLateEditor = () => {
  const late = document.createElement("div");
  late.id = "late";
  late.className = "editor plain";
  late.contentEditable = "true";
  late.style.minHeight = "80px";
  document.body.append(late);
  return late;
};
