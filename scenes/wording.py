"""Scene, gallery and CLI wording, in English and Spanish (the engine's own wording is in
:mod:`convmath.i18n`).

:func:`text` looks a key up here first and then among the engine's strings, so scenes can name the
parts (``input``, ``stride``, …) with the engine's words. Plurals use the engine's one formatter:
``{n:p:cell:cells}``. No manim import: the CLI, the catalog and the gallery read this module.
"""

from __future__ import annotations

from convmath.i18n import STRINGS as ENGINE_STRINGS
from convmath.i18n import check_lang, format_template

__all__ = ["STRINGS", "gallery_param_name", "text", "crop_words"]

STRINGS: dict[str, dict[str, str]] = {
    # --- one line per scene (convanim list, gallery) -----------------------------------------
    "scene_desc_sliding": {
        "en": "A1: the kernel slides over the padded input, one output cell per step",
        "es": "A1: el filtro se desliza sobre la entrada con relleno, una celda de salida por "
        "posición",
    },
    "scene_desc_matrix": {
        "en": "A2: the same convolution as a sparse (Toeplitz-like) matrix times the input",
        "es": "A2: la misma convolución como una matriz dispersa (tipo Toeplitz) por la entrada",
    },
    "scene_desc_connectivity": {
        "en": "A3: which input cells feed each output cell, through which weight",
        "es": "A3: qué celdas de entrada alimentan cada celda de salida, y con qué peso",
    },
    "scene_desc_superposition": {
        "en": "Each input cell stamps the scaled kernel onto the output; the stamps add up",
        "es": "Cada celda de entrada estampa el filtro escalado en la salida; las estampas se "
        "suman",
    },
    "scene_desc_sizes": {
        "en": "The output-size formula, derived term by term for this configuration",
        "es": "La fórmula del tamaño de salida, deducida término a término para esta configuración",
    },
    "scene_desc_flip": {
        "en": "Convolution vs cross-correlation: the flipped kernel and the two results",
        "es": "Convolución frente a correlación cruzada: el filtro invertido y los dos resultados",
    },
    # --- the gallery page (convanim gallery: index.html, index.md) ----------------------------
    "gallery_title": {"en": "convanim gallery", "es": "Galería de convanim"},
    "gallery_intro": {
        "en": "{n} {n:p:animation:animations}. Copy a snippet and paste it into your post; the "
        "files sit next to this page.",
        "es": "{n} {n:p:animación:animaciones}. Copia un fragmento y pégalo en tu artículo; los "
        "archivos están junto a esta página.",
    },
    "gallery_scene": {"en": "scene", "es": "escena"},
    "gallery_parameters": {"en": "parameters", "es": "parámetros"},
    "gallery_file": {"en": "file", "es": "archivo"},
    "gallery_bytes": {"en": "{n} {n:p:byte:bytes}", "es": "{n} {n:p:byte:bytes}"},
    "gallery_frames": {
        "en": "{frames} {frames:p:frame:frames}, {duration} s, {width}×{height} px",
        "es": "{frames} {frames:p:fotograma:fotogramas}, {duration} s, {width}×{height} px",
    },
    "gallery_copy": {"en": "Copy", "es": "Copiar"},
    "gallery_copied": {"en": "Copied", "es": "Copiado"},
    "gallery_failed": {"en": "Failed", "es": "Falló"},
    "gallery_transposed": {"en": "transposed", "es": "transpuesta"},
    "gallery_flip": {"en": "flipped kernel", "es": "filtro invertido"},
    "sizes_padded": {"en": "padded input", "es": "entrada con relleno"},
    "sizes_unreached": {"en": "reached by no window", "es": "ninguna ventana llega"},
    "sizes_windows": {"en": "window positions", "es": "posiciones de la ventana"},
    "sizes_named_title": {"en": "Named paddings", "es": "Rellenos habituales"},
    "sizes_both_axes": {
        "en": "Both axes are alike: the same holds for rows and columns (output {o}×{o}).",
        "es": "Los dos ejes son iguales: lo mismo vale para filas y columnas (salida {o}×{o}).",
    },
    "sizes_deconv_title": {"en": "From conv to “deconv”", "es": "De conv a «deconv»"},
    "sizes_stride1": {
        "en": "With stride 1, each output size comes from exactly one input size.",
        "es": "Con paso 1, cada tamaño de salida viene de un único tamaño de entrada.",
    },
    "sizes_pytorch": {
        "en": "PyTorch: conv_transpose(y, output_size={n}) sets output_padding = {op}",
        "es": "PyTorch: conv_transpose(y, output_size={n}) fija output_padding = {op}",
    },
    "sizes_deconv_name": {
        "en": "It is not a “deconvolution”: a deconvolution undoes a convolution\n"
        "and gives the input values back. The transposed convolution\n"
        "only gives the input's shape back: it multiplies by Cᵀ, not by C⁻¹.",
        "es": "No es una «deconvolución»: una deconvolución deshace la convolución\n"
        "y devuelve los valores de la entrada. La convolución transpuesta\n"
        "solo devuelve la forma de la entrada: multiplica por Cᵀ, no por C⁻¹.",
    },
    "flip_title": {"en": "Convolution or correlation?", "es": "¿Convolución o correlación?"},
    "flip_corr_head": {
        "en": "cross-correlation (PyTorch, TensorFlow)",
        "es": "correlación cruzada (PyTorch, TensorFlow)",
    },
    "flip_conv_head": {
        "en": "convolution (numpy, scipy)", "es": "convolución (numpy, scipy)",
    },
    "flip_rotated": {"en": "kernel rotated 180°", "es": "filtro invertido (girado 180°)"},
    "flip_rotated_short": {"en": "rotated 180°", "es": "invertido (180°)"},
    # The rotated kernel's caption when a kernel of fractions says its factor (short: the
    # kernel's box is narrow; the turn itself shows the 180°).
    "flip_rotated_factor": {"en": "w rotated (× {factor})", "es": "w invertido (× {factor})"},
    "flip_rule": {
        "en": "Deep learning's “convolution” is a cross-correlation: the kernel is not flipped.",
        "es": "La «convolución» del aprendizaje profundo es una correlación cruzada: el filtro "
        "no se invierte.",
    },
    "flip_agree": {
        "en": "Same result: rotating this kernel 180° changes nothing (it is symmetric).",
        "es": "Mismo resultado: invertir este filtro (girarlo 180°) no cambia nada (es "
        "simétrico).",
    },
    "flip_differ": {
        "en": "Different results: the rotated kernel is a different kernel.",
        "es": "Resultados distintos: el filtro invertido es otro filtro.",
    },
    "gallery_failed_line": {"en": "FAILED", "es": "FALLÓ"},
    # --- A1 sliding filter (scenes/sliding.py) ------------------------------------------------
    "sliding_input_caption": {"en": "input {shape}", "es": "entrada {shape}"},
    "sliding_input_padded_caption": {
        "en": "input {shape} + padding", "es": "entrada {shape} + relleno",
    },
    "sliding_stretched_caption": {
        "en": "input {shape}, stretched", "es": "entrada {shape} con ceros intercalados",
    },
    "sliding_kernel_caption": {"en": "kernel {shape}", "es": "filtro {shape}"},
    # A kernel of fractions drawn as integers: the factor said in its caption (scenes.kit.weights).
    "kernel_factor_caption": {"en": "{caption} (× {factor})", "es": "{caption} (× {factor})"},
    "sliding_flipped_caption": {"en": "flipped kernel", "es": "filtro invertido"},
    "sliding_output_caption": {"en": "output {shape}", "es": "salida {shape}"},
    "sliding_flip_note_1": {
        "en": "Mathematical convolution (numpy, scipy): the kernel is first rotated 180°.",
        "es": "Convolución matemática (numpy, scipy): primero se invierte el filtro (se gira "
        "180°).",
    },
    "sliding_flip_note_2": {
        "en": "Deep-learning libraries skip the rotation: they compute the cross-correlation.",
        "es": "Las bibliotecas de aprendizaje profundo no lo invierten: calculan la correlación "
        "cruzada.",
    },
    "sliding_fast_steps": {
        "en": "… {n:p:the other step:the other {n} steps}, faster",
        "es": "… {n:p:la otra posición:las otras {n} posiciones}, más rápido",
    },
    # --- A3 connectivity and superposition (scenes/connectivity.py) ---------------------------
    "conn_title": {
        "en": "Connectivity: which input cells feed each output, through which weight",
        "es": "Conectividad: qué celdas de entrada alimentan cada salida, y con qué peso",
    },
    # "output · 3" read as a multiplication: the size says what it counts.
    "conn_row": {"en": "{name}: {shape}", "es": "{name}: {shape}"},
    "conn_row_1d": {"en": "{name}: {n} {n:p:cell:cells}", "es": "{name}: {n} {n:p:celda:celdas}"},
    "conn_row_group": {"en": "row {r}", "es": "fila {r}"},
    "conn_fan_in": {
        "en": "Fan-in: each output reads the input cells under its window",
        "es": "Abanico de entrada (fan-in): cada salida lee las celdas de entrada bajo su "
        "ventana",
    },
    "conn_fan_out": {
        "en": "input {cell} reaches {n} {n:p:output:outputs}",
        "es": "la celda de entrada {cell} llega a {n} {n:p:salida:salidas}",
    },
    "conn_border_fewer": {
        "en": "— border cells reach fewer", "es": "— las celdas del borde llegan a menos",
    },
    "conn_padding": {
        "en": "Padding cells are not inputs: no edge leaves them",
        "es": "Las celdas de relleno no son entradas: de ellas no sale ninguna arista",
    },
    "conn_reverse_title": {
        "en": "Read from output to input: the {kind}",
        "es": "Leído de salida a entrada: la {kind}",
    },
    "conn_reverse": {
        "en": "Same edges, same weights, arrows reversed: this is the {kind}",
        "es": "Mismas aristas, mismos pesos, flechas invertidas: esta es la {kind}",
    },
    "sup_title": {
        "en": "Transposed convolution by superposition: each input cell stamps the kernel, scaled",
        "es": "Convolución transpuesta por superposición: cada celda de entrada estampa el filtro, "
        "escalado",
    },
    "sup_stamp": {
        "en": "input {cell} = {v}: kernel × {v}, added where its stride puts it",
        "es": "entrada {cell} = {v}: filtro × {v}, sumado donde lo coloca el paso",
    },
    "sup_stamp_direct": {
        "en": "input {cell} = {v}: × each weight, added to every output it reaches",
        "es": "entrada {cell} = {v}: × cada peso, sumado a cada salida que alcanza",
    },
    "sup_overlap": {
        "en": "Overlapping stamps add up: the dots in a cell count its stamps",
        "es": "Las estampas que se solapan se suman: los puntos de cada celda cuentan sus "
        "estampas",
    },
    "sup_scaled": {"en": "{v} × kernel", "es": "{v} × filtro"},
    "sup_scaled_any": {"en": "input × kernel", "es": "entrada × filtro"},
    "sup_input_at": {"en": "input {cell}", "es": "entrada {cell}"},
    "sup_recap_title": {
        "en": "A quick check: the same numbers by the direct convolution",
        "es": "Comprobación rápida: los mismos números con la convolución directa",
    },
    "sup_recap_rest": {
        "en": "… and the other {n} {n:p:window:windows} at once",
        "es": "… y {n:p:la otra ventana:las otras {n} ventanas} de una vez",
    },
    "sup_fast": {
        "en": "… {n:p:the other cell stamps:the other {n} cells stamp} the same way",
        "es": "… {n:p:la otra celda estampa:las otras {n} celdas estampan} igual",
    },
    "sup_crop": {
        "en": "Padding {p} crops the borders of the stamped output",
        "es": "El relleno {p} recorta los bordes de la salida estampada",
    },
    "sup_output_padding": {
        "en": "Output padding {op}: {op} more {op:p:row:rows} at the end, cropped less; no stamp "
        "reaches the last (it stays 0)",
        "es": "Relleno de salida {op}: {op} {op:p:fila:filas} más al final, menos recorte; ninguna "
        "estampa llega a la última (queda en 0)",
    },
    "sup_canvas": {"en": "stamped output", "es": "salida estampada"},
    "sup_stretched": {"en": "zero-inserted input", "es": "entrada con ceros insertados"},
    "sup_direct": {"en": "direct convolution", "es": "convolución directa"},
    "sup_padded": {"en": "padded input", "es": "entrada con relleno"},
    "sup_sliding": {"en": "sliding window", "es": "ventana deslizante"},
    "sup_superposition": {"en": "superposition", "es": "superposición"},
    "sup_equal": {  # grid: sup_stretched / sup_padded / input; kernel: flipped_kernel / kernel
        "en": "Same numbers: the direct convolution of the {grid}, {kernel}, stride 1",
        "es": "Mismos números: la convolución directa de la {grid}, {kernel}, paso 1",
    },
    "sup_units": {  # a kernel of fractions drawn as integers (issue 12 #7)
        "en": "Both outputs in units of {factor}, like the stamps on the canvas",
        "es": "Ambas salidas en unidades de {factor}, como las estampas en el lienzo",
    },
    "sup_equal_direct": {  # grid: sup_padded / input
        "en": "Same numbers as the sliding window over the {grid}",
        "es": "Mismos números que la ventana deslizante sobre la {grid}",
    },
    "sup_checkerboard": {
        # {counts}: two or more stamp counts ("1, 2"), so the noun is always plural.
        "en": "Checkerboard: kernel size {k} is not a multiple of stride {s}, cells get {counts} "
        "stamps",
        "es": "Tablero de ajedrez: el tamaño del filtro, {k}, no es múltiplo del paso, {s}; las "
        "celdas reciben {counts} estampas",
    },
    "sup_checkerboard_dilated": {
        "en": "Checkerboard: the dilated kernel's taps fall unevenly on the stride, cells get "
        "{counts} stamps",
        "es": "Tablero de ajedrez: los pesos del filtro dilatado caen de forma desigual sobre el "
        "paso, las celdas reciben {counts} estampas",
    },
    "sup_on_axis": {"en": "{v} on axis {axis}", "es": "{v} en el eje {axis}"},
    "sup_even": {
        "en": "No checkerboard: kernel {k} and stride {s} give every inner cell {n} "
        "{n:p:stamp:stamps}",
        "es": "Sin tablero de ajedrez: filtro {k} y paso {s} dan {n} {n:p:estampa:estampas} a "
        "cada celda interior",
    },
    # --- MatrixView (scenes/matrix.py) ---------------------------------------------------------
    "matrix_title": {
        "en": "A convolution is a matrix product: y = C·x",
        "es": "Una convolución es un producto de matriz por vector: y = C·x",
    },
    "matrix_title_transposed": {
        "en": "A transposed convolution is a product with the transposed matrix: y = Cᵀ·x",
        "es": "Una convolución transpuesta es un producto por la matriz transpuesta: y = Cᵀ·x",
    },
    "matrix_unroll": {
        "en": "Unroll the input, row by row, into a column vector x of {n} {n:p:entry:entries}",
        "es": "Desenrollamos la entrada, fila a fila, en un vector columna x de {n} "
        "{n:p:componente:componentes}",
    },
    "matrix_unroll_1d": {
        "en": "Write the input as a column vector x of {n} {n:p:entry:entries}",
        "es": "Escribimos la entrada como un vector columna x de {n} "
        "{n:p:componente:componentes}",
    },
    "matrix_build": {
        "en": "C has one row per window position ({rows}) and one column per input cell ({cols})",
        "es": "C tiene una fila por posición de la ventana ({rows}) y una columna por celda de "
        "entrada ({cols})",
    },
    "matrix_row": {
        "en": "Row {r}: each weight goes to the column of the input cell under it in window {r}",
        "es": "Fila {r}: cada peso va a la columna de la celda de entrada que cubre en la "
        "ventana {r}",
    },
    "matrix_row_transposed": {
        "en": "Row {r}: the weights that carry input cells to output cell {r}",
        "es": "Fila {r}: los pesos que llevan celdas de entrada a la celda de salida {r}",
    },
    "matrix_rows_rest": {
        "en": "… {n:p:the other row:the other {n} rows}, faster: the same kernel under the next "
        "window, zeros elsewhere",
        "es": "… {n:p:la otra fila:las otras {n} filas}, más rápido: el mismo filtro bajo la "
        "siguiente ventana, ceros en el resto",
    },
    "matrix_legend": {
        "en": "Coloured cell = the kernel weight of that colour (see the kernel); blank cell = 0",
        "es": "Celda de color = el peso del filtro de ese color (ver el filtro); celda vacía = 0",
    },
    "matrix_toeplitz_1d": {
        "en": "Stride 1: each row is the row above shifted one column: a Toeplitz matrix",
        "es": "Con paso 1, cada fila es la de arriba desplazada una columna: una matriz de "
        "Toeplitz",
    },
    "matrix_toeplitz_2d": {
        "en": "Stride 1: each weight runs along a diagonal and the blocks repeat: doubly block "
        "Toeplitz",
        "es": "Con paso 1, cada peso sigue una diagonal y los bloques se repiten: Toeplitz "
        "doblemente por bloques",
    },
    "matrix_stride": {
        "en": "Stride {s}: the rows of the stride-1 (Toeplitz) matrix for windows {s} "
        "{s:p:cell:cells} apart",
        "es": "Con paso {s}, las filas de la matriz (de Toeplitz) de paso 1 para ventanas "
        "separadas {s} {s:p:celda:celdas}",
    },
    "matrix_stride_transposed": {
        "en": "Stride {s}: Cᵀ keeps one column in {s} of a Toeplitz matrix (the rest: inserted "
        "zeros)",
        "es": "Con paso {s}, Cᵀ conserva {s:p:cada columna:una de cada {s} columnas} de una "
        "matriz de Toeplitz (el resto: ceros insertados)",
    },
    "matrix_padding": {
        "en": "Padding {p}: padded cells are 0, so their columns are deleted: border rows hold "
        "fewer weights",
        "es": "Con relleno {p}, las celdas de relleno valen 0 y sus columnas se eliminan: las "
        "filas del borde tienen menos pesos",
    },
    "matrix_padding_transposed": {
        "en": "Padding {p}: the rows of the cropped output cells are deleted",
        "es": "Con relleno {p}, se eliminan las filas de las celdas de salida recortadas",
    },
    "matrix_dilation": {
        "en": "Dilation {d}: the weights of a row spread out, with zeros in the window's gaps",
        "es": "Con dilatación {d}, los pesos de cada fila se separan, con ceros en los huecos de "
        "la ventana",
    },
    "matrix_product": {
        "en": "Row {r} of C times x: only the cells under window {r} count, the zeros drop the "
        "rest",
        "es": "Fila {r} de C por x: solo cuentan las celdas bajo la ventana {r}, los ceros "
        "anulan el resto",
    },
    "matrix_product_transposed": {
        "en": "Row {r} of Cᵀ times x: the input cells that reach output cell {r}",
        "es": "Fila {r} de Cᵀ por x: las celdas de entrada que llegan a la celda de salida {r}",
    },
    "matrix_product_rest": {
        "en": "… {n:p:the other row:the other {n} rows}, faster: each row times x gives one "
        "output value",
        "es": "… {n:p:la otra fila:las otras {n} filas}, más rápido: cada fila por x da un "
        "valor de salida",
    },
    "matrix_fold": {
        "en": "Fold y back into the output grid, row by row",
        "es": "Volvemos a colocar y en la rejilla de salida, fila a fila",
    },
    "matrix_fold_1d": {  # a 1D output: nothing to fold, y is the output in order
        "en": "y is the output: its values go into the output cells in order",
        "es": "y es la salida: sus valores pasan a las celdas de salida en orden",
    },
    "matrix_same": {
        "en": "C·x is the same output as sliding the kernel over the input",
        "es": "C·x da la misma salida que deslizar el filtro sobre la entrada",
    },
    "matrix_direct_of": {
        "en": "First the direct convolution {i} → {o} and its matrix C ({rows}×{cols})",
        "es": "Primero la convolución directa {i} → {o} y su matriz C ({rows}×{cols})",
    },
    "matrix_transpose": {
        "en": "Transpose it: row r of C becomes column r of Cᵀ ({rows}×{cols})",
        "es": "La transponemos: la fila r de C pasa a ser la columna r de Cᵀ ({rows}×{cols})",
    },
    "matrix_transposed_is": {
        "en": "Cᵀ·x is exactly the transposed convolution: input {i}, kernel {k}, stride {s}, "
        "padding {p} → {o}",
        "es": "Cᵀ·x es exactamente la convolución transpuesta: entrada {i}, filtro {k}, paso "
        "{s}, relleno {p} → {o}",
    },
    # -- added by the scene kit for A1 sliding, flip and sizes (kit helper's section) ----------
    "pace_fast": {
        "en": "{n} more {n:p:step:steps}, faster",
        "es": "{n:p:La posición restante:Las {n} posiciones restantes}, más deprisa",
    },
    "pace_rows": {
        "en": "{n:p:The other step:The other {n} steps} a whole row at a time",
        "es": "{n:p:La otra posición:Las otras {n} posiciones}, fila a fila",
    },
    "pace_stretch": {
        "en": "{n:p:The other step:The other {n} steps}, {k} at a time",
        "es": "{n:p:La otra posición:Las otras {n} posiciones}, de {k} en {k}",
    },
    "scene_desc_paddings": {
        "en": "The named paddings: valid, same (TensorFlow's uneven split), full",
        "es": "Los rellenos con nombre: valid, same (el reparto desigual de TensorFlow), full",
    },
    "scene_desc_sizes_transposed": {
        "en": "Conv → transposed: input sizes sharing an output, the output_padding that "
        "recovers each",
        "es": "De conv a transpuesta: tamaños de entrada con la misma salida, el relleno de "
        "salida que recupera cada uno",
    },
    "sizes_transposed_title": {
        "en": "Output size of a transposed convolution",
        "es": "Tamaño de salida de una convolución transpuesta",
    },
    "sliding_stride_note": {
        "en": "Stride {s}: the window jumps {s} {s:p:cell:cells} (arrow)",
        "es": "Con paso {s}, la ventana salta {s} {s:p:celda:celdas} (flecha)",
    },
    "sliding_unreached": {
        "en": "Crossed out: input cells no window reaches",
        "es": "Tachadas: celdas de la entrada a las que no llega ninguna ventana",
    },
    "sliding_symmetric": {
        "en": "This kernel is symmetric: rotating it 180° changes nothing",
        "es": "Este filtro es simétrico: invertirlo (girarlo 180°) no cambia nada",
    },
    "sliding_numbers_dropped": {
        "en": "Cells too small for numbers: shown without them",
        "es": "Celdas demasiado pequeñas para números: se muestran sin ellos",
    },
    "sliding_weights_note": {
        "en": "Corner tabs: the weight each cell is multiplied by",
        "es": "En la esquina de cada celda, el peso por el que se multiplica",
    },
    "sliding_weights_note_factor": {
        "en": "Corner tabs: the weight each cell is multiplied by, in units of {factor}",
        "es": "En la esquina de cada celda, el peso por el que se multiplica, en unidades de "
        "{factor}",
    },
    "sliding_dilation_note": {
        "en": "Dilation {d}: the kernel's weights sit {d} {d:p:cell:cells} apart",
        "es": "Con dilatación {d}, los pesos del filtro quedan a {d} {d:p:celda:celdas} de "
        "distancia",
    },
    "sliding_zero_terms": {
        "en": "Grey terms: padding or inserted zeros (they add nothing)",
        "es": "Términos grises: relleno o ceros insertados (no suman nada)",
    },
    # --- added by the graphs scenes (A2 matrix, A3 connectivity, superposition) --------------
    "matrix_legend_names": {
        "en": "Named cell = that kernel weight; blank cell = 0",
        "es": "Celda con nombre = ese peso del filtro; celda vacía = 0",
    },
    "matrix_transposed_is_op": {
        "en": "Cᵀ·x is exactly the transposed convolution: input {i}, kernel {k}, stride {s}, "
        "padding {p}, output padding {op} → {o}",
        "es": "Cᵀ·x es exactamente la convolución transpuesta: entrada {i}, filtro {k}, paso "
        "{s}, relleno {p}, relleno de salida {op} → {o}",
    },
    "conn_fan_out_equal": {
        "en": "Every input cell reaches {n} {n:p:output:outputs}: the fan-outs are all equal",
        "es": "Cada celda de entrada llega a {n} {n:p:salida:salidas}: todas por igual",
    },
    "conn_checkerboard": {
        "en": "— uneven: stride {s} makes a checkerboard",
        "es": "— desigual: el paso {s} forma un tablero de ajedrez",
    },
    "conn_transposed_fan_in": {
        "en": "Transposed output {cell}: {n} {n:p:edge:edges}, {n:p:weight:weights} {w}: the "
        "kernel reversed (flipped)",
        "es": "Salida transpuesta {cell}: {n} {n:p:arista:aristas}, {n:p:peso:pesos} {w}: el "
        "filtro al revés (invertido)",
    },
    # The cell meets only some weights (a stride, a border): they are named as part of the
    # whole kernel, never as if they were the kernel.
    "conn_transposed_fan_in_part": {
        "en": "Transposed output {cell}: {n} {n:p:edge:edges}, {n:p:weight:weights} {w} of the "
        "kernel reversed ({rev})",
        "es": "Salida transpuesta {cell}: {n} {n:p:arista:aristas}, {n:p:el peso:los pesos} {w} "
        "del filtro al revés ({rev})",
    },
    "conn_adjoint_fan_in_part": {
        "en": "Output {cell} of the {kind}: {n} {n:p:edge:edges}, {n:p:weight:weights} {w} of "
        "the kernel as it is ({rev})",
        "es": "Salida {cell} de la {kind}: {n} {n:p:arista:aristas}, {n:p:el peso:los pesos} "
        "{w} del filtro tal cual ({rev})",
    },
    "sup_title_direct": {
        "en": "A direct convolution as superposition: each input cell stamps the kernel, scaled",
        "es": "Una convolución directa como superposición: cada entrada estampa el filtro, "
        "escalado",
    },
    "sup_stamp_schematic": {
        "en": "input {cell}: the kernel, scaled by it, added where its stride puts it",
        "es": "entrada {cell}: el filtro, escalado por ella, sumado donde lo coloca el paso",
    },
    "sup_stamp_direct_schematic": {
        "en": "input {cell}: times each weight, added to every output it reaches",
        "es": "entrada {cell}: por cada peso, sumado a cada salida que alcanza",
    },
    "sup_canvas_done": {
        "en": "{n} {n:p:stamp:stamps} added: the finished canvas",
        "es": "{n} {n:p:estampa sumada:estampas sumadas}: el lienzo terminado",
    },
    "sup_equal_schematic": {
        "en": "Same result: the direct convolution of the {grid}, {kernel}, stride 1",
        "es": "Mismo resultado: la convolución directa de la {grid}, {kernel}, paso 1",
    },
    "conn_gaps": {
        "en": "— uneven: dilation {d} leaves gaps",
        "es": "— desigual: la dilatación {d} deja huecos",
    },
    "matrix_stride_one": {
        "en": "At stride 1, C would have {n} {n:p:row:rows}: one per window position",
        "es": "Con paso 1, C tendría {n} {n:p:fila:filas}: una por posición de la ventana",
    },
    "matrix_stride_keeps": {
        "en": "Stride {s} keeps only rows {rows} of them; the others go",
        "es": "El paso {s} conserva solo las filas {rows}; las demás se van",
    },
    "matrix_pad_wide": {
        "en": "Over the padded input, C has {n} {n:p:column:columns}: one per cell, padding "
        "included",
        "es": "Sobre la entrada con relleno, C tiene {n} {n:p:columna:columnas}: una por celda, "
        "con el relleno",
    },
    "matrix_pad_struck": {
        "en": "The {n} padding {n:p:column:columns} only ever {n:p:meets:meet} zeros: struck "
        "out, deleted",
        "es": "{n:p:La columna:Las {n} columnas} de relleno solo {n:p:multiplica:multiplican} "
        "ceros: {n:p:tachada:tachadas} y {n:p:borrada:borradas}",
    },
    "matrix_pad_label": {
        "en": "struck out: padding columns", "es": "tachadas: columnas de relleno",
    },
    "conn_grid_fan_in": {
        "en": "Fan-in: output {cell} reads {n} input {n:p:cell:cells}; each edge starts at its "
        "weight",
        "es": "Abanico de entrada: la salida {cell} lee {n} {n:p:celda:celdas}; cada arista "
        "sale de su peso",
    },
    "conn_grid_fan_in_rest": {
        "en": "… {n:p:the other output:the other {n} outputs} the same way, faster",
        "es": "… {n:p:la otra salida:las otras {n} salidas}, igual y más rápido",
    },
    "conn_grid_fan_in_sample": {
        "en": "… {k} of the other {n} {n:p:output:outputs}, spread over the grid, the same way, "
        "faster",
        "es": "… {k} de {n:p:la otra salida:las otras {n} salidas}, {n:p:repartida:repartidas} "
        "por la cuadrícula, igual y más rápido",
    },
    "conn_grid_counts": {
        "en": "On each input cell: how many outputs it reaches",
        "es": "En cada celda de entrada: a cuántas salidas llega",
    },
    "conn_grid_reverse": {
        "en": "Same edges, same weights, read from output to input: this is the {kind}",
        "es": "Mismas aristas, mismos pesos, leídas de salida a entrada: esta es la {kind}",
    },
    "conn_adjoint_fan_in": {
        "en": "Output {cell} of the {kind}: {n} {n:p:edge:edges}, {n:p:weight:weights} {w}: the "
        "kernel as it is",
        "es": "Salida {cell} de la {kind}: {n} {n:p:arista:aristas}, {n:p:peso:pesos} {w}: el "
        "filtro tal cual",
    },
}



def text(key: str, lang: str = "en", **fmt: object) -> str:
    """The string ``key`` (scene wording, else engine wording) in ``lang``, formatted with ``fmt``.

    Raises
    ------
    convmath.ConvMathError
        For an unknown language. An unknown key is a programming error (``KeyError``).
    """
    table = STRINGS.get(key) or ENGINE_STRINGS[key]
    return format_template(table[check_lang(lang)], **fmt)


# --- pipeline, gallery and CLI wording (keys added by the render-pipeline helper) --------------
STRINGS.update({
    # Gallery parameter names, shown as "stride 2, padding 1" / "paso 2, relleno 1".
    "gallery_param_dims": {"en": "dimensions", "es": "dimensiones"},
    "gallery_param_input": {"en": "input", "es": "entrada"},
    "gallery_param_kernel": {"en": "kernel", "es": "filtro"},
    "gallery_param_stride": {"en": "stride", "es": "paso"},
    "gallery_param_padding": {"en": "padding", "es": "relleno"},
    "gallery_param_dilation": {"en": "dilation", "es": "dilatación"},
    "gallery_param_transposed": {"en": "transposed", "es": "transpuesta"},
    "gallery_param_output-padding": {"en": "output padding", "es": "relleno de salida"},
    "gallery_param_flip": {"en": "flipped kernel", "es": "filtro invertido"},
    "gallery_param_values": {"en": "values", "es": "valores"},
    "gallery_param_weights": {"en": "weights", "es": "pesos"},
    "gallery_param_layers": {"en": "layers", "es": "capas"},
    "gallery_yes": {"en": "yes", "es": "sí"},
    "gallery_no": {"en": "no", "es": "no"},
    "gallery_failed_detail": {
        "en": "This animation could not be rendered. Reason: {error}",
        "es": "No se pudo generar esta animación. Motivo: {error}",
    },
    # `convanim list`
    "list_scenes": {"en": "Scenes:", "es": "Escenas:"},
    "list_presets": {"en": "Kernel presets (--weights NAME):",
                     "es": "Filtros predefinidos (--weights NOMBRE):"},
})

# ======================================================================================

# Scenes of issue 17 (equation, receptive, receptive_compare, deconv): their wording only.
# Spanish as a Spanish-speaking teacher would say it, not a word-for-word translation.
# =============================================================================================
STRINGS.update({
    "scene_desc_equation": {
        "en": "The general convolution equation, then one output index worked on the grid",
        "es": "La ecuación general de la convolución y una salida calculada sobre la rejilla",
    },
    "scene_desc_receptive": {
        "en": "Receptive field of one output grown down a stack of layers: size, jump, start",
        "es": "El campo receptivo de una salida, capa a capa hacia abajo: tamaño, salto e inicio",
    },
    "scene_desc_receptive_compare": {
        "en": "Two stacks compared: three 3×3 layers vs one 7×7, and dilations 1-2-4",
        "es": "Dos pilas de capas frente a frente: tres 3×3 contra una 7×7, y dilataciones 1-2-4",
    },
    "scene_desc_deconv": {
        "en": "Why the transposed convolution is not a deconvolution: Cᵀ·y vs C⁺·y",
        "es": "Por qué la convolución transpuesta no es una deconvolución: Cᵀ·y frente a C⁺·y",
    },
    # --- equation ----------------------------------------------------------------------------
    "eq_title": {"en": "The general equation, as deep-learning libraries compute it "
                       "(cross-correlation)",
                 "es": "La ecuación general, como la calculan las bibliotecas de aprendizaje "
                       "profundo (correlación cruzada)"},
    "eq_general_1d": {"en": "y[i] = Σₘ x[s·i + d·m − p] · w[m]",
                      "es": "y[i] = Σₘ x[s·i + d·m − p] · w[m]"},
    "eq_general_2d": {
        "en": "y[i,j] = Σₘ Σₙ x[s₀·i + d₀·m − p₀, s₁·j + d₁·n − p₁] · w[m,n]",
        "es": "y[i,j] = Σₘ Σₙ x[s₀·i + d₀·m − p₀, s₁·j + d₁·n − p₁] · w[m,n]",
    },
    "eq_flipped_1d": {"en": "y[i] = Σₘ x[s·i + d·m − p] · w[k − 1 − m]",
                      "es": "y[i] = Σₘ x[s·i + d·m − p] · w[k − 1 − m]"},
    "eq_flipped_2d": {
        "en": "y[i,j] = Σₘ Σₙ x[s₀·i + d₀·m − p₀, s₁·j + d₁·n − p₁] · w[k₀−1−m, k₁−1−n]",
        "es": "y[i,j] = Σₘ Σₙ x[s₀·i + d₀·m − p₀, s₁·j + d₁·n − p₁] · w[k₀−1−m, k₁−1−n]",
    },
    "eq_symbols": {
        "en": "s is the stride, d the dilation, p the padding before; m runs over the k weights",
        "es": "s es el paso, d la dilatación y p el relleno inicial; m recorre los k pesos",
    },
    "eq_flip_caption": {
        "en": "The mathematical convolution (numpy, scipy) reads the weights backwards",
        "es": "La convolución matemática (numpy, scipy) lee los pesos al revés",
    },
    "eq_spec_caption": {
        "en": "This spec: stride {s}, dilation {d}, padding {p} before the input",
        "es": "Con esta configuración: paso {s}, dilatación {d} y relleno {p} al principio",
    },
    "eq_index_caption": {
        "en": "Output {i}: each term reads the input cell of its colour",
        "es": "La salida {i}: cada término lee la celda de entrada de su color",
    },
    "eq_index_caption_marked": {
        "en": "Output {i}: term ① reads the input cell tabbed 1, ② the one tabbed 2, …",
        "es": "La salida {i}: el término ① lee la celda de entrada con la marca 1, el ② la de "
        "la marca 2, …",
    },
    "eq_padding_caption": {
        "en": "An index outside the input reads the padding: a 0",
        "es": "Un índice fuera de la entrada cae en el relleno y vale 0",
    },
    "eq_axis_reads": {"en": "{axis}: {expr} → {reads}", "es": "{axis}: {expr} → {reads}"},
    "eq_axis_rows": {"en": "rows", "es": "filas"},
    "eq_axis_cols": {"en": "columns", "es": "columnas"},
    "eq_axis_1d": {"en": "index", "es": "índice"},
    "eq_result_caption": {
        "en": "The products add up to y{i} = {v}, written into its cell",
        "es": "Los productos suman y{i} = {v}, que va a su celda",
    },
    "eq_closing": {
        "en": "Every output is this sum: the window starts at s·i − p and its taps are d apart",
        "es": "Cada salida es esta suma: la ventana empieza en s·i − p y sus celdas distan d",
    },
    # --- receptive field ---------------------------------------------------------------------
    "rf_title": {"en": "Receptive field across {n} {n:p:layer:layers}",
                 "es": "El campo receptivo a través de {n} {n:p:capa:capas}"},
    "rf_level_input": {"en": "input", "es": "entrada"},
    "rf_level_layer": {"en": "layer {n}: k {k}, s {s}, d {d}",
                       "es": "capa {n}: k {k}, s {s}, d {d}"},
    "rf_level_layer_p": {"en": "layer {n}: k {k}, s {s}, d {d}, p {p}",
                         "es": "capa {n}: k {k}, s {s}, d {d}, p {p}"},
    "rf_pick": {
        "en": "Pick output {i} of the top layer and follow what it reads, layer by layer",
        "es": "Tomamos la salida {i} de la capa de arriba y seguimos lo que lee, capa a capa",
    },
    "rf_grow": {
        "en": "Under layer {n}: size {r}, cells {a} to {b}, {jn} input {jn:p:cell:cells} apart "
        "(jump {jn})",
        "es": "Bajo la capa {n}: tamaño {r}, de la celda {a} a la {b}, separadas {jn} "
        "{jn:p:celda:celdas} en la entrada (salto {jn})",
    },
    "rf_stride": {
        "en": "Stride {s} of layer {m}: jump {s}·{j0} = {jn}, as between the dashed lines",
        "es": "Paso {s} en la capa {m}: salto {s}·{j0} = {jn}, como entre las líneas "
        "discontinuas",
    },
    "rf_stride_2d": {
        "en": "Stride {s} of layer {m} multiplies the jump: {s}·{j0} = {jn}",
        "es": "El paso {s} de la capa {m} multiplica el salto: {s}·{j0} = {jn}",
    },
    "rf_dilation": {
        "en": "Dilation {d} widens the field with the same {k} {k:p:weight:weights}: holes "
        "between taps",
        "es": "La dilatación {d} ensancha el campo con {k:p:el mismo peso:los mismos {k} pesos}: "
        "deja huecos",
    },
    "rf_formula": {"en": "r = 1 + Σ (k_eff − 1)·j = {terms} = {r}",
                   "es": "r = 1 + Σ (k_eff − 1)·j = {terms} = {r}"},
    "rf_formula_caption": {
        "en": "Each layer adds (k_eff − 1) times the jump of its input",
        "es": "Cada capa suma (k_eff − 1) veces el salto de su entrada",
    },
    "rf_padding_note": {
        "en": "Dashed: the part of the window that falls on padding",
        "es": "En trazo discontinuo, la parte de la ventana que cae en el relleno",
    },
    "cmp_title": {"en": "Same field, fewer weights; wider field, same weights",
                  "es": "El mismo campo con menos pesos; más campo con los mismos pesos"},
    "cmp_stacked": {"en": "{n} {n:p:layer:layers} {k}", "es": "{n} {n:p:capa:capas} {k}"},
    "cmp_single": {"en": "1 layer {k}", "es": "1 capa {k}"},
    "cmp_dilated": {"en": "{n} {n:p:layer:layers} {k}, d = {ds}",
                    "es": "{n} {n:p:capa:capas} {k}, d = {ds}"},
    "cmp_stats": {"en": "field {r} · {p} {p:p:weight:weights}",
                  "es": "campo {r} · {p} {p:p:peso:pesos}"},
    "cmp_grow": {"en": "After {n} of {total} {total:p:layer:layers}",
                 "es": "Tras {n} de {total} {total:p:capa:capas}"},
    "cmp_first": {
        "en": "{n} small {n:p:layer sees:layers see} as far as one large kernel, with fewer "
        "weights",
        "es": "{n} {n:p:capa pequeña ve:capas pequeñas ven} tan lejos como un filtro grande, "
        "con menos pesos",
    },
    "cmp_second": {
        "en": "Dilations {ds} grow the field exponentially with the same weights",
        "es": "Con dilataciones {ds} el campo crece exponencialmente con los mismos pesos",
    },
    # --- deconvolution -----------------------------------------------------------------------
    "dc_title": {"en": "A transposed convolution is not a deconvolution",
                 "es": "La convolución transpuesta no es una deconvolución"},
    "dc_x": {"en": "x: the input", "es": "x: la entrada"},
    "dc_y": {"en": "y = C·x: convolution", "es": "y = C·x: convolución"},
    "dc_t": {"en": "Cᵀ·y: transposed", "es": "Cᵀ·y: transpuesta"},
    "dc_p": {"en": "C⁺·y: deconvolution", "es": "C⁺·y: deconvolución"},
    "dc_w": {"en": "w: the kernel", "es": "w: el filtro"},
    "dc_conv": {
        "en": "Convolve: y = C·x, {o} {o:p:output:outputs} from {n} {n:p:input:inputs}",
        "es": "Convolucionamos: y = C·x, {o} {o:p:salida:salidas} a partir de {n} "
        "{n:p:entrada:entradas}",
    },
    "dc_transposed": {
        "en": "The transposed convolution, same kernel: Cᵀ·y has the input's shape, {n} "
        "{n:p:cell:cells}",
        "es": "La transpuesta con el mismo filtro: Cᵀ·y tiene la forma de la entrada, {n} "
        "{n:p:celda:celdas}",
    },
    "dc_not_x": {
        "en": "But not its values: Cᵀ·C·x is x passed through the kernel twice",
        "es": "Pero no sus valores: Cᵀ·C·x es x pasada dos veces por el filtro",
    },
    "dc_checker": {
        "en": "With stride {s}, cells under more windows get more: a checkerboard",
        "es": "Con paso {s}, las celdas bajo más ventanas reciben más: un damero",
    },
    "dc_pinv": {
        "en": "A deconvolution solves C·x = y as well as it can: x̂ = C⁺·y, the pseudo-inverse",
        "es": "Una deconvolución resuelve C·x = y lo mejor posible: x̂ = C⁺·y, la pseudoinversa",
    },
    "dc_pinv_formula": {"en": "C⁺ = (CᵀC)⁻¹Cᵀ when C has full column rank",
                        "es": "C⁺ = (CᵀC)⁻¹Cᵀ cuando C tiene rango completo por columnas"},
    "dc_pinv_formula_rows": {"en": "C⁺ = Cᵀ(CCᵀ)⁻¹ when C has full row rank",
                             "es": "C⁺ = Cᵀ(CCᵀ)⁻¹ cuando C tiene rango completo por filas"},
    "dc_pinv_formula_svd": {
        "en": "C⁺ from the SVD of C: only its nonzero singular values are inverted",
        "es": "C⁺ sale de la SVD de C: solo se invierten sus valores singulares no nulos",
    },
    "dc_same_y": {
        "en": "C·(C⁺·y) gives this y exactly, but {o} {o:p:output:outputs} cannot pin down {n} "
        "{n:p:input:inputs}",
        "es": "C·(C⁺·y) da exactamente esta y, pero {o} {o:p:salida no basta:salidas no bastan} "
        "para fijar {n} {n:p:entrada:entradas}",
    },
    "dc_exact": {
        "en": "C has full column rank ({r} of {n}): C⁺·y gives x back exactly",
        "es": "C tiene rango completo por columnas ({r} de {n}): C⁺·y devuelve x exacta",
    },
    "dc_rank_short": {
        "en": "Rank {r} of {n}: C⁺·y is the smallest x that gives this y, not x itself",
        "es": "Rango {r} de {n}: C⁺·y es la x más pequeña que da esta y, no la x original",
    },
    "dc_unseen": {
        "en": "Crossed out: cells no output sees, lost for good (they come back 0)",
        "es": "Tachadas: celdas que ninguna salida ve; se pierden (vuelven como 0)",
    },
    "dc_rule": {
        "en": "The transposed convolution undoes the shape ({n} → {o} → {n}), not the values",
        "es": "La convolución transpuesta deshace la forma ({n} → {o} → {n}), no los valores",
    },
    "dc_rule_same": {
        "en": "The transposed convolution gives back x's shape, not its values",
        "es": "La convolución transpuesta devuelve la forma de x, no sus valores",
    },
})

# --- channels, groups and feature maps (issue 18: scenes/channels.py, groups.py, features.py) --
STRINGS.update({
    "scene_desc_channels": {
        "en": "Channels: one filter per output channel, a box through every input channel",
        "es": "Canales: un filtro por canal de salida, una caja que atraviesa todos los canales "
        "de entrada",
    },
    "scene_desc_groups": {
        "en": "Groups and depthwise-separable convolutions: which channels each filter sees, "
        "and what it costs",
        "es": "Grupos y convoluciones separables en profundidad: qué canales ve cada filtro y "
        "cuánto cuesta",
    },
    "scene_desc_features": {
        "en": "Feature maps of an image: edges, blur, sharpen and a colour filter",
        "es": "Mapas de características de una imagen: bordes, desenfoque, nitidez y un filtro "
        "de color",
    },
    # ChannelFilter
    "channels_title": {
        "en": "{cin} input {cin:p:channel:channels} → {cout} output {cout:p:channel:channels}: "
        "one filter per output channel",
        "es": "{cin} {cin:p:canal:canales} de entrada → {cout} de salida: un filtro por canal "
        "de salida",
    },
    "channels_input_caption": {
        "en": "input: {c} {c:p:channel:channels} of {shape}",
        "es": "entrada: {c} {c:p:canal:canales} de {shape}",
    },
    "channels_filter_caption": {
        "en": "filter {o} of {n}, bias {b}",
        "es": "filtro {o} de {n}, sesgo {b}",
    },
    # A filter of fractions drawn as integers (issue 12 #7): the factor next to the filter,
    # never after the bias it does not scale.
    "channels_filter_caption_factor": {
        "en": "filter {o} of {n} (× {factor}), bias {b}",
        "es": "filtro {o} de {n} (× {factor}), sesgo {b}",
    },
    "channels_output_caption": {
        "en": "output: {c} {c:p:channel:channels} of {shape}",
        "es": "salida: {c} {c:p:canal:canales} de {shape}",
    },
    "channels_counts": {
        "en": "{nw} {nw:p:weight:weights} ({k}·{cin}·{cout}) + {nb} {nb:p:bias:biases} = {p} "
        "{p:p:parameter:parameters}; {macs} {macs:p:multiply-add:multiply-adds}",
        "es": "{nw} {nw:p:peso:pesos} ({k}·{cin}·{cout}) + {nb} {nb:p:sesgo:sesgos} = {p} "
        "{p:p:parámetro:parámetros}; {macs} {macs:p:multiplicación-suma:multiplicaciones-sumas}",
    },
    "channels_counts_bias": {
        "en": "{nw} {nw:p:weight:weights} ({k}·{cin}·{cout}) + {nb} {nb:p:bias:biases} = {p} "
        "{p:p:parameter:parameters}; {nt}·{no} + {no} {no:p:addition:additions} of a bias = {macs} "
        "{macs:p:multiply-add:multiply-adds}",
        "es": "{nw} {nw:p:peso:pesos} ({k}·{cin}·{cout}) + {nb} {nb:p:sesgo:sesgos} = {p} "
        "{p:p:parámetro:parámetros}; {nt}·{no} + {no} {no:p:suma:sumas} del sesgo = {macs} "
        "{macs:p:multiplicación-suma:multiplicaciones-sumas}",
    },
    "channels_sum_term": {"en": "ch{c} {v}", "es": "c{c} {v}"},
    "channels_step": {
        "en": "channel sums {terms} + bias {b} = {y} (output channel {o})",
        "es": "sumas por canal {terms} + sesgo {b} = {y} (canal de salida {o})",
    },
    # ChannelGroups
    "groups_title": {
        "en": "Which input channels each filter sees, and what it costs",
        "es": "Qué canales de entrada ve cada filtro y cuánto cuesta",
    },
    "groups_col_input": {"en": "input channels", "es": "canales de entrada"},
    "groups_col_depthwise": {"en": "depthwise", "es": "en profundidad"},
    "groups_col_output": {"en": "output channels", "es": "canales de salida"},
    "groups_standard": {
        "en": "Standard convolution: every filter reads {c:q:the input channel:both input "
        "channels:every input channel} ({c})",
        "es": "Convolución estándar: cada filtro lee {c:q:el canal de entrada:los dos canales de "
        "entrada:todos los canales de entrada} ({c})",
    },
    "groups_standard_cost": {
        "en": "{k}·{cin}·{cout} = {nw} {nw:p:weight:weights}, {macs} "
        "{macs:p:multiply-add:multiply-adds}",
        "es": "{k}·{cin}·{cout} = {nw} {nw:p:peso:pesos}, {macs} "
        "{macs:p:multiplicación-suma:multiplicaciones-sumas}",
    },
    "groups_grouped": {
        "en": "{g} {g:p:group:groups}: each filter sees only the {c} {c:p:channel:channels} of "
        "its own group",
        "es": "{g} {g:p:grupo:grupos}: cada filtro ve solo {c:p:el:los} {c} "
        "{c:p:canal:canales} de su propio grupo",
    },
    "groups_grouped_cost": {
        "en": "{k}·{cin}·{cout} = {nw} {nw:p:weight:weights} (standard: {std})",
        "es": "{k}·{cin}·{cout} = {nw} {nw:p:peso:pesos} (estándar: {std})",
    },
    "groups_depthwise": {
        "en": "Depthwise: one {k} kernel per channel, each channel on its own",
        "es": "En profundidad: un filtro {k} por canal, cada canal por separado",
    },
    "groups_depthwise_cost": {
        "en": "{k}·{cin} = {nw} {nw:p:weight:weights}", "es": "{k}·{cin} = {nw} {nw:p:peso:pesos}",
    },
    "groups_pointwise": {
        "en": "Then a 1×1 pointwise convolution mixes the channels",
        "es": "Después, una convolución puntual 1×1 mezcla los canales",
    },
    "groups_compare": {
        "en": "separable: {dw} + {pw} = {total} {total:p:weight:weights}; standard: {std}",
        "es": "separable: {dw} + {pw} = {total} {total:p:peso:pesos}; estándar: {std}",
    },
    # FeatureMaps
    "features_title": {
        "en": "What a kernel brings out of an image",
        "es": "Lo que un filtro resalta en una imagen",
    },
    "features_image_caption": {"en": "image {shape}, grey levels",
                               "es": "imagen {shape} en escala de grises"},
    "features_kernel_caption": {"en": "kernel {preset}", "es": "filtro {preset}"},
    "features_negative": {"en": "negative", "es": "negativo"},
    "features_zero": {"en": "0", "es": "0"},
    "features_positive": {"en": "positive", "es": "positivo"},
    "features_map_caption": {"en": "feature map", "es": "mapa de características"},
    "features_sweep_note": {
        "en": "Each cell of the map: the 9 pixels under the window, weighted and summed",
        "es": "Cada celda del mapa: los 9 píxeles bajo la ventana, ponderados y sumados",
    },
    "features_image_short": {"en": "image", "es": "imagen"},
    "features_edges": {"en": "vertical edges ({preset})", "es": "bordes verticales ({preset})"},
    "features_blur": {"en": "blur ({preset})", "es": "desenfoque ({preset})"},
    "features_sharpen": {"en": "sharpen", "es": "nitidez"},
    "features_presets_note": {
        "en": "sobel-x finds vertical edges (light: brighter to the right, dark: darker); "
        "blur softens, sharpen crisps detail",
        "es": "sobel-x encuentra los bordes verticales (claro: más luz a la derecha; oscuro: "
        "menos); el desenfoque suaviza y la nitidez afina los detalles",
    },
    "features_r": {"en": "red channel", "es": "canal rojo"},
    "features_g": {"en": "green channel", "es": "canal verde"},
    "features_b": {"en": "blue channel", "es": "canal azul"},
    "features_red_caption": {"en": "1·R − ½·G − ½·B", "es": "1·R − ½·G − ½·B"},
    "features_colour_note": {
        "en": "A 1×1 convolution over R, G, B weighs the channels: red regions come out light",
        "es": "Una convolución 1×1 sobre R, G, B pondera los canales: las zonas rojas salen "
        "claras",
    },
})


def gallery_param_name(key: str, lang: str = "en") -> str:
    """A gallery file's parameter name (``stride``, ``output-padding``, …) in ``lang``.

    Unknown keys are shown as written.
    """
    table = STRINGS.get("gallery_param_" + key) or STRINGS.get("gallery_param_" + key.replace(
        "_", "-"))
    return table[check_lang(lang)] if table else key


# --- the crop of a transposed spec's stretched input, drawn (issue 12 #3) ---------------------
STRINGS.update({
    "crop_sides": {
        "en": "{b} {b:p:cell:cells} before and {a} after",
        "es": "{b} {b:p:celda:celdas} antes y {a} después",
    },
    "crop_before": {"en": "{b} {b:p:cell:cells} before", "es": "{b} {b:p:celda:celdas} antes"},
    "crop_after": {"en": "{a} {a:p:cell:cells} after", "es": "{a} {a:p:celda:celdas} después"},
    "crop_rows": {"en": "rows: {crop}", "es": "filas: {crop}"},
    "crop_cols": {"en": "columns: {crop}", "es": "columnas: {crop}"},
    "crop_note": {
        "en": "The padding crops the stretched input ({crop}): greyed beyond the line, no window "
        "reads those cells",
        "es": "El relleno recorta la entrada con ceros intercalados ({crop}): en gris tras la "
        "línea, ninguna ventana lee esas celdas",
    },
})


def crop_words(crop: tuple[tuple[int, int], ...], lang: str = "en") -> str | None:
    """What :func:`convmath.transposed_crop` cuts off, in words: ``"1 cell before and 1 after"``
    (1D), ``"rows: 1 cell before; columns: 2 cells after"`` (2D, the cut axes only); ``None``
    when nothing is cropped."""
    def side(b: int, a: int) -> str:
        key = "crop_sides" if b and a else "crop_before" if b else "crop_after"
        return text(key, lang, b=b, a=a)

    parts = [(axis, side(b, a)) for axis, (b, a) in enumerate(crop) if b or a]
    if not parts:
        return None
    if len(crop) == 1:
        return parts[0][1]
    names = ("crop_rows", "crop_cols")
    return "; ".join(text(names[axis], lang, crop=words) for axis, words in parts)


# --- alt text, one per scene (issue 16: scenes/alt.py fills them from engine facts) -----------
# What THAT scene shows, then (where it helps) the configuration sentence {config}. Fields:
# {input}, {kernel}, {output} (shape words: "5×5", "length-5" / "de longitud 5"; {input_a} and
# {kernel_a} their English articles), {n} output
# cells, {m} input cells, {rows}×{cols} the matrix, {cin}/{cout} channels, {o} the output shape.
STRINGS.update({
    "alt_sliding": {
        "en": "The kernel slides over the input; at each of its {n} {n:p:position:positions} the "
        "products under the window add up to one output cell. {config}",
        "es": "El filtro se desliza sobre la entrada; en cada una de sus {n} "
        "{n:p:posición:posiciones} los productos de la ventana se suman en una celda de salida. "
        "{config}",
    },
    "alt_matrix": {
        "en": "The same convolution as a matrix product: each row of the {rows}×{cols} matrix "
        "holds the kernel's weights where its window falls, times the flattened input. {config}",
        "es": "La misma convolución como producto de una matriz: cada fila de la matriz "
        "{rows}×{cols} lleva los pesos del filtro donde cae su ventana, y multiplica la entrada "
        "aplanada. {config}",
    },
    "alt_connectivity": {
        "en": "Which input cells feed each of the {n} output {n:p:cell:cells}, and through which "
        "weight: "
        "lines join every output cell to its inputs. {config}",
        "es": "Qué celdas de entrada alimentan cada una de las {n} {n:p:celda:celdas} de salida, y "
        "con qué peso: unas líneas unen cada celda de salida con sus entradas. {config}",
    },
    "alt_superposition": {
        "en": "Each of the {m} input {m:p:cell:cells} stamps the kernel, scaled by its value, onto "
        "the output; where the stamps overlap they add up. {config}",
        "es": "Cada una de las {m} {m:p:celda:celdas} de entrada estampa el filtro, escalado por "
        "su valor, sobre la salida; donde las estampas se solapan, se suman. {config}",
    },
    "alt_sizes": {
        "en": "The output-size formula, built term by term with this configuration's numbers, "
        "gives an output of {o}. {config}",
        "es": "La fórmula del tamaño de salida, construida término a término con los números de "
        "esta configuración, da una salida de {o}. {config}",
    },
    "alt_paddings": {
        "en": "The named paddings valid, same and full for {input_a} {input} input and "
        "{kernel_a} {kernel} kernel: the padding each one needs and the output size it gives.",
        "es": "Los rellenos con nombre valid, same y full para una entrada {input} y un filtro "
        "{kernel}: el relleno que pide cada uno y el tamaño de salida que da.",
    },
    "alt_sizes_transposed": {
        "en": "Which input sizes give the same output under this convolution, and the output "
        "padding a transposed convolution needs to give each one back. {config}",
        "es": "Qué tamaños de entrada dan la misma salida con esta convolución, y el relleno de "
        "salida que necesita una convolución transpuesta para devolver cada uno. {config}",
    },
    "alt_flip": {
        "en": "Convolution vs cross-correlation on the same {input} input and {kernel} kernel: "
        "the convolution rotates the kernel 180° before sliding it, and the two outputs are "
        "compared step by step.",
        "es": "Convolución frente a correlación cruzada con la misma entrada {input} y el mismo "
        "filtro {kernel}: la convolución gira el filtro 180° antes de deslizarlo, y las dos "
        "salidas se comparan celda a celda.",
    },
    "alt_equation": {
        "en": "The general equation of the convolution, then this configuration's numbers in it, "
        "and one output index traced on the grid. {config}",
        "es": "La ecuación general de la convolución, después los números de esta configuración "
        "en ella, y un índice de salida seguido sobre la cuadrícula. {config}",
    },
    "alt_deconv": {
        "en": "Why a transposed convolution is not a deconvolution: x, C·x, the transpose Cᵀ·y "
        "and the least-squares C⁺·y side by side. {config}",
        "es": "Por qué la convolución transpuesta no es una deconvolución: x, C·x, la "
        "transpuesta Cᵀ·y y la solución por mínimos cuadrados C⁺·y, una al lado de otra. {config}",
    },
    "alt_receptive": {
        "en": "The receptive field of one output cell, grown level by level down a stack of "
        "convolutions to the {input} input.",
        "es": "El campo receptivo de una celda de salida, que crece nivel a nivel bajando por "
        "una pila de convoluciones hasta la entrada {input}.",
    },
    "alt_receptive_compare": {
        "en": "Three stacked 3×3 convolutions against one 7×7, and dilations 1, 2 and 4: the "
        "same receptive field with fewer weights.",
        "es": "Tres convoluciones 3×3 apiladas frente a una sola 7×7, y dilataciones 1, 2 y 4: "
        "el mismo campo receptivo con menos pesos.",
    },
    "alt_channels": {
        "en": "{cin} input {cin:p:channel:channels} as a stack and one filter per output channel "
        "({cout}): each output cell sums the per-channel products, plus the bias. {config}",
        "es": "{cin} {cin:p:canal:canales} de entrada apilados y un filtro por canal de salida "
        "({cout}): cada celda de salida suma los productos de cada canal, más el sesgo. {config}",
    },
    "alt_groups": {
        "en": "Standard, grouped and depthwise-separable convolutions from {cin} to {cout} "
        "{cout:p:channel:channels} as blocks of channels, with the weights each one costs. "
        "{config}",
        "es": "Convoluciones estándar, agrupadas y separables en profundidad de {cin} a {cout} "
        "{cout:p:canal:canales}, como bloques de canales, con los pesos que cuesta cada una. "
        "{config}",
    },
    "alt_features": {
        "en": "An image's feature maps: an edge kernel sweeps the {input} image, then edges, blur "
        "and sharpen side by side, and a 1×1 convolution that weighs the colour channels.",
        "es": "Los mapas de características de una imagen: un filtro de bordes recorre la imagen "
        "{input}, luego bordes, desenfoque y nitidez lado a lado, y una convolución 1×1 que "
        "pondera los canales de color.",
    },
    "long_description_label": {"en": "Long description", "es": "Descripción detallada"},
})
